import { Logger } from '@nestjs/common';
import { logLevel, type LogEntry } from 'kafkajs';

/** Routes kafkajs' own log lines through Nest's logger, so they share its format and levels. */
export function nestKafkaLogCreator() {
  return ({ namespace, level, log }: LogEntry): void => {
    const logger = new Logger(`kafkajs${namespace ? `:${namespace}` : ''}`);
    const { message, ...extra } = log;
    const detail = extra.broker ? ` (broker ${String(extra.broker)})` : '';
    const line = `${message}${detail}`;
    switch (level) {
      case logLevel.ERROR:
        logger.error(line);
        break;
      case logLevel.WARN:
        logger.warn(line);
        break;
      case logLevel.INFO:
        logger.log(line);
        break;
      default:
        logger.debug(line);
    }
  };
}
