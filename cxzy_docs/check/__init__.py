"""The validator: one module per family of rules, each yielding findings."""
