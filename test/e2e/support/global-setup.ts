import { LAB_ENV } from './lab-env';
import { serveLab } from './serve-process';

/**
 * Starts the headless lab (`trusty-lab serve`, in-memory) on free ports, and hands the lab UI URL
 * (with its secret) and the issuer to the tests through the environment. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const lab = await serveLab();
  process.env[LAB_ENV.labUrl] = lab.labUrl;
  process.env[LAB_ENV.issuer] = lab.issuer;
  console.log(`lab UI: ${new URL(lab.labUrl).origin} (secret in fragment), issuer: ${lab.issuer}`);
  return lab.stop;
}
