/**
 * The GraphQL operations the bench measures, as a storefront or portal sends them. Each floor
 * answers exactly one of them (by operation name) with the bytes the API gives, so a change
 * to a selection here needs the same change in its floor (the run fails on the first
 * mismatch, before timing).
 */

const LISTING_NODE = (stock: boolean) => `
        id code name price { amount currency } inStock soldAndDeliveredBy
        seller { id name concatenationCode }
        category { id name }
        brand { name }
        skus(first: 10) {
          edges { node { code price { amount currency } listPrice { amount currency } inStock${stock ? ' stock' : ''} color { name } size { name } } }
        }`;

/** A category page of the storefront: what an anonymous shopper sees. */
export const STOREFRONT_LISTING = `query StorefrontListing($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {${LISTING_NODE(false)}
    } }
  }
}`;

/** The same page for a signed-in guest seller's user: its own catalog, stock figures included. */
export const SELLER_LISTING = STOREFRONT_LISTING.replace('StorefrontListing', 'SellerListing').replace(LISTING_NODE(false), LISTING_NODE(true));

export const PRODUCT_PAGE = `query ProductPage($code: String!) {
  product(code: $code) {
    id code name description images { url alt } price { amount currency } inStock soldAndDeliveredBy
    seller { id name concatenationCode shippingPolicy returnPolicy }
    category { id name slug }
    brand { id name }
    tags { id name }
    skus(first: 20) {
      edges { node {
        code price { amount currency } listPrice { amount currency } inStock weightGrams
        dimensions { heightMm widthMm lengthMm } color { name hex } size { name }
      } }
    }
  }
}`;

/** The storefront's seller directory, each seller with its newest products. */
export const SELLERS_WITH_PRODUCTS = `query SellersWithProducts($first: Int!, $products: Int!) {
  sellers(first: $first) {
    totalCount
    edges { node {
      id name concatenationCode
      products(first: $products) { edges { node { id code name price { amount currency } inStock } } }
    } }
  }
}`;

/** Operator staff searching one seller's orders by status (orders.types OrderListArgs). */
export const ORDER_SEARCH = `query OrderSearch($sellerId: ID, $status: OrderStatus, $first: Int) {
  orders(first: $first, sellerId: $sellerId, status: $status) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      code status placedAt total { amount currency }
      seller { name }
      buyer { name email maskedDocument }
      lines { skuCode productName quantity }
    } }
  }
}`;

/** A guest seller's portal dashboard for a period (dashboard.types; the receivables section, owner/finance only, is left out). */
export const SELLER_DASHBOARD = `query SellerDashboard($from: String!, $to: String!) {
  sellerDashboard(from: $from, to: $to) {
    sellerId from to timeZone
    days { date orders items gross { amount currency } net { amount currency } }
    ordersByStatus { status count }
    itemsUnavailable
    products { published outOfStock archived awaitingReview rejected drafts }
    tickets { open overdue }
    reputation { ticketAnswers ticketAnswersOnTime orders sellerCancellations shipmentsDue lateShipments }
  }
}`;

export const SET_STOCK = `mutation BenchSetStock($skuCode: String!, $quantity: Int!) {
  setStock(skuCode: $skuCode, quantity: $quantity) { sku { code stock } userErrors { code message } }
}`;

export const body = (operationName: string, query: string, variables: Record<string, unknown>) => JSON.stringify({ operationName, query, variables });
