export async function renderRatings(): Promise<void> {}
