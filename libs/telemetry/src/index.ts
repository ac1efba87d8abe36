// Logger, Prometheus registry and trace context helpers
