import { accessRules } from '../../shared/access/index.js';
import { DASHBOARD_ACCESS } from './dashboard.access.js';

const allowed = accessRules('dashboard', DASHBOARD_ACCESS);

/** The dashboard's fields; which seller is the service's scope (actingSellerId). */
export const dashboardRules = {
  Query: { sellerDashboard: allowed.readDashboard },
  SellerDashboard: { '*': allowed.readDashboard, receivables: allowed.readReceivables },
  DashboardDay: { '*': allowed.readDashboard },
  DashboardStatusCount: { '*': allowed.readDashboard },
  DashboardProducts: { '*': allowed.readDashboard },
  DashboardTickets: { '*': allowed.readDashboard },
  DashboardReputation: { '*': allowed.readDashboard },
  DashboardReceivables: { '*': allowed.readReceivables },
};
