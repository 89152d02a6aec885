"""A loopback HTTPS double of Azure Resource Graph and ARM for archgen's live-discovery tests."""
