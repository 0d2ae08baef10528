export * from './notification.entity';
export * from './notifications.service';
export * from './notifications.module';
export * from './dto/notifications.dto';
export * from './dto/notifications.responses';
