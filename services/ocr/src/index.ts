// OCR stage: legible text with personal data redacted
