export * from './dashboards.rules';
export * from './dashboards.service';
export * from './dashboards.module';
export * from './dto/dashboards.dto';
export * from './dto/dashboards.responses';
