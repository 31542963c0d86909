/** Every capture module, in the order they start. Each exports init(ctx); see core/context.ts. */
import type { Capture } from '../core/context'
import { init as navigation } from './navigation'
import { init as clicks } from './clicks'
import { init as friction } from './friction'
import { init as errors } from './errors'
import { init as forms } from './forms'
import { init as stall } from './stall'
import { init as vitals } from './vitals-soon'

// stall and forms listen for events of the others, so they start first.
export const captures: Capture[] = [stall, forms, navigation, clicks, friction, errors, vitals]
