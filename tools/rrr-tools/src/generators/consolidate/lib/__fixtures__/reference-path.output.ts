/// <reference path="../../types/legacy-globals.d.ts" />
/// <reference types="node" />

export const legacy = LEGACY;
