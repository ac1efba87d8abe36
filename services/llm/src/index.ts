// LLM stage: category, brand and description from a vision model
