import { Body, Controller, Get, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role, ApiErrors, ApiOk, ApiOkKeysetList, Op } from '@jicai/common';
import { UploadedXlsx, XlsxDownload, xlsxFile, XlsxImport } from '@jicai/spreadsheets';
import { DemandService } from './demand.service';
import { ListDemandQueryDto, PutDemandDto } from './dto/demand.dto';
import { DemandDto } from './dto/allocation.responses';

@ApiTags('demand')
@ApiBearerAuth()
@Controller('batches')
export class DemandController {
  constructor(private readonly demand: DemandService) {}

  /** The calling hospital's annual demand in an item × group, before bidding closes (domain.md 6). */
  @Roles(Role.HOSPITAL)
  @Put(':id/items/:itemId/demand')
  @Op('setDemand', "Set the calling hospital's annual demand in an item × group")
  @ApiOk(DemandDto)
  @ApiErrors(404, [409, 'BIDDING_CLOSED', 'INVALID_STATE'])
  put(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: PutDemandDto) {
    return this.demand.put(user, id, itemId, dto);
  }

  @Roles(Role.HOSPITAL, Role.ADMIN)
  @Get(':id/demand')
  @Op('listDemands')
  @ApiOkKeysetList(DemandDto)
  @ApiErrors(404)
  list(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: ListDemandQueryDto) {
    return this.demand.list(user, id, q);
  }

  @Roles(Role.HOSPITAL, Role.ADMIN)
  @Get(':id/demand/template.xlsx')
  @XlsxDownload('The demand template: a row per item × group')
  @Op('getDemandTemplate')
  @ApiErrors(404)
  async template(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return xlsxFile(await this.demand.template(user, id), `demand-template-batch-${id}.xlsx`);
  }

  /** All or nothing: the file (at most 5,000 rows) is validated whole here, errors per row (400); an import job writes it: 202 {jobId, rows}. */
  @Roles(Role.HOSPITAL, Role.ADMIN)
  @Post(':id/demand/import')
  @XlsxImport("Import demand per item × group from an xlsx (the template's columns)")
  @Op('importDemands')
  @ApiErrors(404, [409, 'BIDDING_CLOSED', 'INVALID_STATE'])
  importXlsx(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @UploadedXlsx() file: Buffer) {
    return this.demand.importXlsx(user, id, file);
  }
}
