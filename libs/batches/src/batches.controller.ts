import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, Roles, Principal, Role, ApiCreated, ApiErrors, ApiOk, ApiOkList, Op } from '@jicai/common';
import { BatchesService, batchView, itemView } from './batches.service';
import { CreateBatchDto, CreateItemDto, ListBatchesQueryDto, UpdateBatchDto } from './dto/batch.dto';
import { BatchDto, BatchItemDto } from './dto/batch.responses';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Roles(Role.ADMIN)
  @Post()
  @Op('createBatch')
  @ApiCreated(BatchDto)
  @ApiErrors([409, 'ALREADY_EXISTS'])
  async create(@CurrentUser() user: Principal, @Body() dto: CreateBatchDto) {
    return batchView(await this.batches.create(user, dto), []);
  }

  @AnyRole()
  @Get()
  @Op('listBatches')
  @ApiOkList(BatchDto)
  list(@Query() q: ListBatchesQueryDto) {
    return this.batches.list(q);
  }

  @AnyRole()
  @Get(':id')
  @Op('getBatch')
  @ApiOk(BatchDto)
  @ApiErrors(404)
  async get(@Param('id', ParseIntPipe) id: number) {
    const { batch, items } = await this.batches.get(id);
    return batchView(batch, items);
  }

  /** Changes a DRAFT batch (times, rules, name). */
  @Roles(Role.ADMIN)
  @Patch(':id')
  @Op('updateBatch', 'Change a DRAFT batch')
  @ApiOk(BatchDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  async update(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateBatchDto) {
    await this.batches.update(user, id, dto);
    const { batch, items } = await this.batches.get(id);
    return batchView(batch, items);
  }

  @Roles(Role.ADMIN)
  @Post(':id/items')
  @Op('addBatchItem')
  @ApiCreated(BatchItemDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  async addItem(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: CreateItemDto) {
    return itemView(await this.batches.addItem(user, id, dto));
  }

  @Roles(Role.ADMIN)
  @Post(':id/publish')
  @HttpCode(200)
  @Op('publishBatch')
  @ApiOk(BatchDto)
  @ApiErrors(404, [409, 'INVALID_STATE'], 422)
  async publish(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    await this.batches.publish(user, id);
    const { batch, items } = await this.batches.get(id);
    return batchView(batch, items);
  }

  @Roles(Role.ADMIN)
  @Post(':id/cancel')
  @HttpCode(200)
  @Op('cancelBatch')
  @ApiOk(BatchDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  async cancel(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    await this.batches.cancel(user, id);
    const { batch, items } = await this.batches.get(id);
    return batchView(batch, items);
  }
}
