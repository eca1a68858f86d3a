export async function renderRace(): Promise<void> {}
