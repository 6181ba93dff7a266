import { Module } from '@nestjs/common';
import { AdminPageController } from './admin-page.controller';
import { AdminPageFiles } from './admin-page.files';

export { ADMIN_PAGE_ROUTES, ADMIN_PAGE_SECURITY_HEADERS } from './admin-page.controller';

/**
 * Serves the built admin page (ADMIN_UI_DIR) under /admin from the api itself: no second server.
 * configureApi leaves ADMIN_PAGE_ROUTES out of the /api/v1 prefix. Needs AppConfig (ConfigModule).
 */
@Module({
  controllers: [AdminPageController],
  providers: [AdminPageFiles],
})
export class AdminPageModule {}
