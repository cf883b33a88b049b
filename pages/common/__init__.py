"""What every page shares: the store, the shared read cache, saving with clear errors."""
