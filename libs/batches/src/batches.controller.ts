import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, Roles, Principal, Role } from '@jicai/common';
import { BatchesService, batchView, itemView } from './batches.service';
import { CreateBatchDto, CreateItemDto, ListBatchesQueryDto, UpdateBatchDto } from './dto/batch.dto';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Roles(Role.ADMIN)
  @Post()
  async create(@CurrentUser() user: Principal, @Body() dto: CreateBatchDto) {
    return batchView(await this.batches.create(user, dto), []);
  }

  @AnyRole()
  @Get()
  list(@Query() q: ListBatchesQueryDto) {
    return this.batches.list(q);
  }

  @AnyRole()
  @Get(':id')
  async get(@Param('id', ParseIntPipe) id: number) {
    const { batch, items } = await this.batches.get(id);
    return batchView(batch, items);
  }

  /** Changes a DRAFT batch (times, rules, name). */
  @Roles(Role.ADMIN)
  @Patch(':id')
  async update(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateBatchDto) {
    await this.batches.update(user, id, dto);
    const { batch, items } = await this.batches.get(id);
    return batchView(batch, items);
  }

  @Roles(Role.ADMIN)
  @Post(':id/items')
  async addItem(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: CreateItemDto) {
    return itemView(await this.batches.addItem(user, id, dto));
  }

  @Roles(Role.ADMIN)
  @Post(':id/publish')
  @HttpCode(200)
  async publish(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    await this.batches.publish(user, id);
    const { batch, items } = await this.batches.get(id);
    return batchView(batch, items);
  }

  @Roles(Role.ADMIN)
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    await this.batches.cancel(user, id);
    const { batch, items } = await this.batches.get(id);
    return batchView(batch, items);
  }
}
