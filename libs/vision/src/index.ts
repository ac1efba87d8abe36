// Image normalisation, colours, ONNX model manager and detector/classifier decoding
