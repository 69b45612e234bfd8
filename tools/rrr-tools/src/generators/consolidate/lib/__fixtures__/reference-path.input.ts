/// <reference path="../../types/legacy_globals.d.ts" />
/// <reference types="node" />

export const legacy = LEGACY;
