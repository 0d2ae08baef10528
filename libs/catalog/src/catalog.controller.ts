import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, Roles, Principal, Role } from '@jicai/common';
import { UploadedXlsx, XlsxDownload, xlsxFile, XlsxImport } from '@jicai/spreadsheets';
import { CatalogService, productView } from './catalog.service';
import { CreateProductDto, ListProductsQueryDto } from './dto/product.dto';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('catalog/products')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Roles(Role.ADMIN)
  @Post()
  async create(@CurrentUser() user: Principal, @Body() dto: CreateProductDto) {
    return productView(await this.catalog.create(user, dto));
  }

  /** Declared before ':id' so the literal path wins. */
  @Roles(Role.ADMIN)
  @Get('template.xlsx')
  @XlsxDownload('The product import template')
  async template() {
    return xlsxFile(await this.catalog.template(), 'products-template.xlsx');
  }

  /**
   * The file (at most 5,000 rows, 10 MiB) is validated whole in the request, so the
   * per-row errors of an all-or-nothing import come back at once (400); a valid file is
   * written by an import job: 202 {jobId, rows}.
   */
  @Roles(Role.ADMIN)
  @Post('import')
  @XlsxImport("Import products from an xlsx (the template's columns)")
  importXlsx(@CurrentUser() user: Principal, @UploadedXlsx() file: Buffer) {
    return this.catalog.importXlsx(user, file);
  }

  @AnyRole()
  @Get()
  list(@CurrentUser() user: Principal, @Query() q: ListProductsQueryDto) {
    return this.catalog.list(user, q);
  }

  @AnyRole()
  @Get(':id')
  async get(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return productView(await this.catalog.get(user, id));
  }
}
