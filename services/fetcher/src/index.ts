// Fetcher stage: downloads, checks and normalizes photos
