/** The product version shown by the lab and the CLI (kept in step with package.json by a test). */
export const PRODUCT_VERSION = '0.1.0';
