/** Import customers' balances from another system and export the business's data (owner only). */
import { Routes } from '@angular/router';

import { ImportExportPage } from './feature-import-export/import-export-page';

export const importExportRoutes: Routes = [
  { path: '', component: ImportExportPage, title: 'Import & export · Mubayiro' },
];
