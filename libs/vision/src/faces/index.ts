export * from './blazeface.js';
export * from './blazeface-model.js';
export * from './blur-faces.js';
export * from './head-region.js';
export * from './face-detector.js';
export * from './photo-for-release.js';
export * from './face-detail.js';
