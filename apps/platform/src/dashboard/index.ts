export { registerDashboard, LIGHTWEIGHT_CHARTS_FILE, type DashboardOptions } from './register-dashboard';
export { locateDashboardFiles, type DashboardFiles } from './dashboard-files';
