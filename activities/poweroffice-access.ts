import type { PowerOfficeV1Port } from '../adapters/poweroffice/v1-client';
import type { PowerOfficeV2Port } from '../adapters/poweroffice/v2-client';

/**
 * PowerOffice GO for the activities of the PowerOffice task queues (workflows/poweroffice-queues.ts),
 * and only for them: every call is exactly one HTTP request (a token request included), so the
 * Temporal server's dispatch rate for the queue is the request rate PowerOffice sees, whatever the
 * number of workers. Only `PowerOfficeConnector.oneRequestPerCall()` makes one (the brand), and the
 * main queue's activities (createActivities) are given none: no PowerOffice request can be made
 * outside the rate-limited queues.
 */
export interface PowerOfficeAccess {
  readonly requestsPerCall: 1;
  v1(clientKey: string): PowerOfficeV1Port;
  v2(clientKey: string): PowerOfficeV2Port;
}

/** The environment the service does not use, to tell "wrong key" from "key of the other environment". */
export interface OtherPowerOfficeEnvironment {
  name: 'demo' | 'production';
  access: PowerOfficeAccess;
}
