"""Security controls: the catalogue (data), small evaluators (logic) and the engine that runs them."""
