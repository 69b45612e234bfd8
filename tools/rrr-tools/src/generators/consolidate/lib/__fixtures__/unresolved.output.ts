import { buildBar } from './bar-builder';
import { gone } from './missing_module';
import { nothing } from '@shared/nothing';
export const lazy = () => import('../../../ghost_service/src/thing');
export const used = [buildBar, gone, nothing];
