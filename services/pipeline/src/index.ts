// All stages in one process, with the CLI and the REST API
