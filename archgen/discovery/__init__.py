"""Getting rows: from files (`files`), from Azure Resource Graph (`live`), and the snapshot that records a run."""
