"""The payload records: one builder per device family turns a model sample into the cloud's keys."""
