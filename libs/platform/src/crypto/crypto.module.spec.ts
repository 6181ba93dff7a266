import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '@app/config';
import { CryptoModule } from './crypto.module';
import { SecretBox } from './secret-box';

describe('CryptoModule', () => {
  it('given AppConfig with an encryption key, when resolved, then SecretBox uses that key', async () => {
    const key = randomBytes(32);
    @Global()
    @Module({
      providers: [
        {
          provide: AppConfig,
          useValue: Object.assign(new AppConfig(), { secretsEncryptionKey: key }),
        },
      ],
      exports: [AppConfig],
    })
    class TestConfigModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [TestConfigModule, CryptoModule],
    }).compile();

    const encrypted = moduleRef.get(SecretBox).encrypt('whsec_x');
    expect(new SecretBox(key).decrypt(encrypted)).toBe('whsec_x');
  });
});
