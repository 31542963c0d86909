/** Every capture module, in the order they start. Each exports init(ctx); see core/context.ts. */
import type { Capture } from '../core/context'
import { init as navigation } from './navigation'

export const captures: Capture[] = [navigation]
