import { Global, Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

/**
 * The inbox. Global because many modules (batches, bidding, allocation, orders, settlement,
 * execution) write to it; it sits low in LAYERS so that all of them may import it.
 */
@Global()
@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}

/** The writer alone, for the worker (no controller). */
@Global()
@Module({ providers: [NotificationsService], exports: [NotificationsService] })
export class NotificationsWorkerModule {}
