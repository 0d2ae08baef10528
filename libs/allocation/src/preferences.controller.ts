import { Body, Controller, Get, Param, ParseIntPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role, ApiErrors, ApiOk, ApiOkList, Op } from '@jicai/common';
import { PreferencesQueryDto, SetPreferenceDto } from './dto/allocation.dto';
import { PreferencesService } from './preferences.service';
import { PreferenceDto } from './dto/allocation.responses';

@ApiTags('allocation')
@ApiBearerAuth()
@Controller('batches')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  /**
   * The calling hospital's order of preference among the winners of an item × group,
   * while the batch is AWARDED. Without one, rank order applies.
   */
  @Roles(Role.HOSPITAL)
  @Put(':id/items/:itemId/preferences')
  @Op('setPreferences')
  @ApiOk(PreferenceDto)
  @ApiErrors(404, [409, 'INVALID_STATE'], 422)
  set(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: SetPreferenceDto) {
    return this.preferences.set(user, id, itemId, dto);
  }

  /** Stated preferences: a hospital its own, an admin all. */
  @Roles(Role.HOSPITAL, Role.ADMIN)
  @Get(':id/preferences')
  @Op('listPreferences')
  @ApiOkList(PreferenceDto)
  @ApiErrors(404)
  list(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: PreferencesQueryDto) {
    return this.preferences.list(user, id, q);
  }
}
