import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to the demo connector and needs nothing else for it', () => {
    expect(loadConfig({}).WRIT_CONNECTOR).toBe('demo');
  });

  it('names what a platform connector still needs, never the values given', () => {
    expect(() => loadConfig({ WRIT_CONNECTOR: 'synapse', WRIT_CONNECTOR_DATABASE_URL: 'postgres://reader:s3cret@db/synapse' })).toThrow(
      'WRIT_SYNAPSE_SERVER_NAME: required with WRIT_CONNECTOR=synapse',
    );
    expect(() => loadConfig({ WRIT_CONNECTOR: 'sql' })).toThrow(
      /WRIT_CONNECTOR_DATABASE_URL: required[\s\S]*WRIT_CONNECTOR_FILE: required/,
    );
    try {
      loadConfig({ WRIT_CONNECTOR: 'mastodon', WRIT_CONNECTOR_DATABASE_URL: 'mysql://reader:s3cret@db/m', WRIT_MASTODON_DOMAIN: 'x' });
    } catch (error) {
      expect((error as Error).message).toContain('WRIT_CONNECTOR_DATABASE_URL');
      expect((error as Error).message).not.toContain('s3cret');
    }
    expect.assertions(4);
  });

  it('accepts a complete platform connector configuration', () => {
    const config = loadConfig({
      WRIT_CONNECTOR: 'mastodon',
      WRIT_CONNECTOR_DATABASE_URL: 'postgres://reader@db/mastodon',
      WRIT_MASTODON_DOMAIN: 'example.social',
      WRIT_CONNECTOR_IP_RETENTION_DAYS: '30',
    });
    expect(config).toMatchObject({ WRIT_MASTODON_DOMAIN: 'example.social', WRIT_CONNECTOR_IP_RETENTION_DAYS: 30 });
  });
});
