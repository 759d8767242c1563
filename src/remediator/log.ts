/**
 * The logging surface the remediator needs. In Lambda it is Powertools Logger (structured JSON, one line
 * per entry); tests use the same Logger and read stdout. Callers log masked key IDs only.
 */
import { Logger } from "@aws-lambda-powertools/logger";

export type LogAttributes = Record<string, unknown>;

export interface Log {
    debug(message: string, attributes?: LogAttributes): void;
    info(message: string, attributes?: LogAttributes): void;
    warn(message: string, attributes?: LogAttributes): void;
    error(message: string, attributes?: LogAttributes): void;
}

export function powertoolsLog(logger: Logger = new Logger({ serviceName: "rootguard-remediator" })): Log {
    return {
        debug: (m, a) => (a ? logger.debug(m, a) : logger.debug(m)),
        info: (m, a) => (a ? logger.info(m, a) : logger.info(m)),
        warn: (m, a) => (a ? logger.warn(m, a) : logger.warn(m)),
        error: (m, a) => (a ? logger.error(m, a) : logger.error(m)),
    };
}
