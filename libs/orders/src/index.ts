export * from './orders.rules';
export * from './purchase-order.entity';
export * from './orders.service';
export * from './orders.module';
export * from './dto/orders.dto';
export * from './orders.queries';
export * from './dto/orders.responses';
export * from './orders.aggregates';
