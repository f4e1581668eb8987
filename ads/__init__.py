"""Ad-platform connectors (Meta first), the local Marketing API sandbox and the read cache."""
