// Detector stage: objects and item classes with ONNX models
