// Typed configuration from the environment, one zod schema per concern
