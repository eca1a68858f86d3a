export async function renderModels(): Promise<void> {}
