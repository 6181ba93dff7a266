import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { AppConfig, SecretsKeyring } from '@app/config';
import { CryptoModule } from './crypto.module';
import { SecretBox } from './secret-box';

describe('CryptoModule', () => {
  it('given AppConfig with a keyring, when resolved, then SecretBox encrypts under its newest key', async () => {
    const key = randomBytes(32);
    @Global()
    @Module({
      providers: [
        {
          provide: AppConfig,
          useValue: Object.assign(new AppConfig(), {
            secretsKeyring: SecretsKeyring.of({ id: 'k7', key }),
          }),
        },
      ],
      exports: [AppConfig],
    })
    class TestConfigModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [TestConfigModule, CryptoModule],
    }).compile();

    const encrypted = moduleRef.get(SecretBox).encrypt('whsec_x');
    expect(encrypted.kid).toBe('k7');
    expect(new SecretBox(SecretsKeyring.of({ id: 'k7', key })).decrypt(encrypted)).toBe('whsec_x');
  });
});
