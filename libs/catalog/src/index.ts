export * from './catalog.rules';
export * from './product.entity';
export * from './product.validation';
export * from './catalog.service';
export * from './catalog.module';
export * from './product-import';
export * from './product-import.handler';
export * from './dto/product.responses';
