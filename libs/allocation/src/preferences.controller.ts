import { Body, Controller, Get, Param, ParseIntPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role } from '@jicai/common';
import { PreferencesQueryDto, SetPreferenceDto } from './dto/allocation.dto';
import { PreferencesService } from './preferences.service';

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
  set(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: SetPreferenceDto) {
    return this.preferences.set(user, id, itemId, dto);
  }

  /** Stated preferences: a hospital its own, an admin all. */
  @Roles(Role.HOSPITAL, Role.ADMIN)
  @Get(':id/preferences')
  list(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: PreferencesQueryDto) {
    return this.preferences.list(user, id, q);
  }
}
