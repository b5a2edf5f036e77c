export {
  AWS_LAMBDA_PRICE_USD_PER_GB_SECOND,
  AWS_LAMBDA_REQUEST_FEE_USD,
  type AwsPricingOptions,
  createAwsPricing,
} from './aws-pricing.js';
