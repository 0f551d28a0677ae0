export { DeliveryPortfolioPage } from './DeliveryPortfolioPage';
