export { CostPortfolioPage, CostPortfolioView } from './CostPortfolioPage';
