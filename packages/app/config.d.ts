export interface Config {
  lexecon?: {
    signIn?: {
      /**
       * Offers "Enter as guest" on the sign-in page. The sandbox's configuration only: the
       * backend offers guest sign-in only where `auth.providers.guest` is configured.
       * @visibility frontend
       */
      guest?: boolean;
    };
  };
}
