// Loaded before every test file (bunfig.toml). Keeps test servers quiet unless asked.
process.env.LOG_LEVEL ??= 'error'
