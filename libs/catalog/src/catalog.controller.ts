import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, Roles, Principal, Role, ApiCreated, ApiErrors, ApiOk, ApiOkList, Op } from '@jicai/common';
import { UploadedXlsx, XlsxDownload, xlsxFile, XlsxImport } from '@jicai/spreadsheets';
import { CatalogService, productView } from './catalog.service';
import { CreateProductDto, ListProductsQueryDto, UpdateProductDto } from './dto/product.dto';
import { ProductDto } from './dto/product.responses';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('catalog/products')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Roles(Role.ADMIN)
  @Post()
  @Op('createProduct')
  @ApiCreated(ProductDto)
  @ApiErrors(404, [409, 'ALREADY_EXISTS'], 422)
  async create(@CurrentUser() user: Principal, @Body() dto: CreateProductDto) {
    return productView(await this.catalog.create(user, dto));
  }

  /** Declared before ':id' so the literal path wins. */
  @Roles(Role.ADMIN)
  @Get('template.xlsx')
  @XlsxDownload('The product import template')
  @Op('getProductTemplate')
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
  @Op('importProducts')
  importXlsx(@CurrentUser() user: Principal, @UploadedXlsx() file: Buffer) {
    return this.catalog.importXlsx(user, file);
  }

  @AnyRole()
  @Get()
  @Op('listProducts')
  @ApiOkList(ProductDto)
  list(@CurrentUser() user: Principal, @Query() q: ListProductsQueryDto) {
    return this.catalog.list(user, q);
  }

  /** Domain.md 15.6: sets or clears the listed pack price (挂网价); nothing else of a product changes. */
  @Roles(Role.ADMIN)
  @Patch(':id')
  @Op('updateProduct')
  @ApiOk(ProductDto)
  @ApiErrors(404)
  async update(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateProductDto) {
    return productView(await this.catalog.update(user, id, dto));
  }

  @AnyRole()
  @Get(':id')
  @Op('getProduct')
  @ApiOk(ProductDto)
  @ApiErrors(404)
  async get(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return productView(await this.catalog.get(user, id));
  }
}
