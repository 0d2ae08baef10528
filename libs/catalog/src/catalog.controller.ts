import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, Roles } from '@jicai/common/auth/decorators';
import { Principal, Role } from '@jicai/common/auth/roles';
import { UploadedXlsx, XlsxDownload, xlsxFile, XlsxUpload } from '../../spreadsheets/src';
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
   * Answers 201 {imported} synchronously: the file is bounded (5,000 rows, 10 MiB) and
   * the user needs the per-row errors of an all-or-nothing import in the answer.
   */
  @Roles(Role.ADMIN)
  @Post('import')
  @HttpCode(201)
  @XlsxUpload()
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
