// tesseract.js worker pool, text post-processing and personal-data redaction
