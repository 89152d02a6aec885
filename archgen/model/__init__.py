"""The typed workload graph: ids, resource types, relations, the graph and its builder."""
